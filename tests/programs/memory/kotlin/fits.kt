fun main() {
    val rows = Array(48) { LongArray(1 shl 17) { 1L } }  // 48 MiB
    println("ok " + rows.size)
}
