using System.Collections.Generic;

class Program {
    static void Main() {
        var chunks = new List<int[]>();
        while (true) {
            var a = new int[1 << 18];
            for (int i = 0; i < a.Length; i += 1024) a[i] = 1;
            chunks.Add(a);
        }
    }
}
