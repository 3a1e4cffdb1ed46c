fun main() {
    val chunks = ArrayList<LongArray>()
    while (true) chunks.add(LongArray(1 shl 17))
}
