fun main() {
    while (true) {
        val t = Thread { Thread.sleep(100000) }
        t.isDaemon = true
        t.start()
    }
}
