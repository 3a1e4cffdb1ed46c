using System.Threading;

class Program {
    static void Main() {
        while (true) {
            var t = new Thread(() => Thread.Sleep(100000));
            t.IsBackground = true;
            t.Start();
        }
    }
}
