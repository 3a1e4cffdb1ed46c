fn main() {
    let block = vec![1u8; 48 << 20];
    println!("ok {}", block.iter().map(|&b| b as usize).sum::<usize>() >> 20);
}
