class Program {
    static void Main() {
        var rows = new long[48][];  // 48 MiB
        for (int r = 0; r < rows.Length; r++) {
            rows[r] = new long[1 << 17];
            for (int i = 0; i < rows[r].Length; i++) rows[r][i] = 1;
        }
        System.Console.WriteLine("ok " + rows.Length);
    }
}
