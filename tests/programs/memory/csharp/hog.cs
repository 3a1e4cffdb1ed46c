using System.Collections.Generic;

class Program {
    static void Main() {
        var chunks = new List<long[]>();
        while (true) {
            var a = new long[1 << 17];
            for (int i = 0; i < a.Length; i += 512) a[i] = 1;
            chunks.Add(a);
        }
    }
}
