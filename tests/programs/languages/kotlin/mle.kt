fun main() {
    val chunks = ArrayList<IntArray>()
    while (true) chunks.add(IntArray(1 shl 18))
}
