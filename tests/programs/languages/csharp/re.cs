class Program {
    static void Main() {
        throw new System.InvalidOperationException("boom");
    }
}
