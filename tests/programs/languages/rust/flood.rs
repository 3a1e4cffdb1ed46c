use std::io::Write;

fn main() {
    let out = std::io::stdout();
    let mut out = out.lock();
    loop {
        let _ = out.write_all(b"flood flood flood flood\n");
    }
}
