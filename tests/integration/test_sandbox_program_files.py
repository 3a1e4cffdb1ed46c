"""A program of two files in each language that takes several (the rest are in test_judge_package_files):
the entry calls a function of the other file, through the real sandbox."""

import pytest

import sandbox
from sandbox import Limits, Outcome, SourceFile

pytestmark = pytest.mark.docker

TWO_FILES = {
    "kotlin": (
        ("main.kt", "fun main() { println(twice(readLine()!!.trim().toInt())) }\n"),
        ("util.kt", "fun twice(x: Int) = 2 * x\n"),
    ),
    "go": (
        ("main.go", 'package main\nimport "fmt"\n'
                    "func main() { var x int; fmt.Scan(&x); fmt.Println(twice(x)) }\n"),
        ("util.go", "package main\nfunc twice(x int) int { return 2 * x }\n"),
    ),
    "csharp": (
        ("main.cs", "class P { static void Main() {\n"
                    "System.Console.WriteLine(U.Twice(int.Parse(System.Console.ReadLine()))); } }\n"),
        ("util.cs", "static class U { public static int Twice(int x) { return 2 * x; } }\n"),
    ),
    "javascript": (
        ("main.js", "const u = require('./util.js');\n"
                    "console.log(u.twice(parseInt(require('fs').readFileSync(0, 'utf8'))));\n"),
        ("util.js", "exports.twice = (x) => 2 * x;\n"),
    ),
    "rust": (
        ("main.rs", "mod util;\nfn main() { let mut s = String::new();\n"
                    "std::io::stdin().read_line(&mut s).unwrap();\n"
                    "println!(\"{}\", util::twice(s.trim().parse().unwrap())); }\n"),
        ("util.rs", "pub fn twice(x: i64) -> i64 { 2 * x }\n"),
    ),
    "haskell": (
        ("main.hs", "import Util\nmain :: IO ()\nmain = readLn >>= print . twice\n"),
        ("Util.hs", "module Util where\ntwice :: Int -> Int\ntwice = (* 2)\n"),
    ),
    "ruby": (
        ("main.rb", "require_relative 'util'\nputs twice(gets.to_i)\n"),
        ("util.rb", "def twice(x) = 2 * x\n"),
    ),
    "php": (
        ("main.php", "<?php\nrequire __DIR__ . '/util.php';\n"
                     "echo twice((int) trim(fgets(STDIN))), \"\\n\";\n"),
        ("util.php", "<?php\nfunction twice(int $x): int { return 2 * $x; }\n"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(TWO_FILES))
def test_the_entry_uses_the_other_file(language):
    if not sandbox.language_versions(max_age=60).get(language):
        pytest.skip(f"the {language} image is not built")
    files = tuple(SourceFile(name, text.encode()) for name, text in TWO_FILES[language])
    compiled = sandbox.compile(language=language, files=files, entry=files[0].name)
    assert compiled.ok, compiled.output
    result = sandbox.execute(program=compiled.program, stdin=b"21\n", limits=Limits(cpu_time=3.0))
    assert (result.outcome, result.stdout) == (Outcome.OK, b"42\n")
