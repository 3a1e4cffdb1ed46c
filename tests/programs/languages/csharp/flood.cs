class Program {
    static void Main() {
        var line = new string('x', 600);
        while (true) System.Console.WriteLine(line);
    }
}
