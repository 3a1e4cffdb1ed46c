use std::thread;
use std::time::Duration;

fn main() {
    loop {
        let _ = thread::Builder::new().spawn(|| thread::sleep(Duration::from_secs(100)));
    }
}
