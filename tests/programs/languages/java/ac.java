import java.util.Scanner;

// Not Main: the main class is found in the source, as on Kattis.
public class Hello {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() + in.nextLong());
    }
}
