package judge.solution;

import java.util.Scanner;

class Helper {}

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() - in.nextLong());
    }
}
