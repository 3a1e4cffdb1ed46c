fun main() {
    val line = "flood ".repeat(100)
    while (true) println(line)
}
