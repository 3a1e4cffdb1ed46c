"""One small spec per language. Adding a language: a spec here plus images/<folder>/Dockerfile, where the
folder is the image's repository name (`ojudge/java:1` is images/java, shared by java and kotlin).

Commands follow Kattis' languages.yaml and the ICPC World Finals: -O2, static C/C++, ONLINE_JUDGE defined.
Interpreted languages still have a compile step that only checks the syntax, so a syntax error is CE.
In argv, `{memory_mib}` is the problem's memory limit in MiB, `{entry}` the entry file's path (the file
that is run, or that holds `main`), `{entry_dir}` its folder, `{main}` the entry point found in the entry
file (Java main classes), and `{sources}` every file of the program that this language compiles (those
with one of its `extensions`): an argv item of its own becomes one item per file, inside a longer item
(a `sh -c` line) the names are joined, shell-quoted. A program of several files puts all of them in the
work dir beside each other; a language that takes only `{entry}` finds the rest itself (imports, units,
modules) or ignores them.

Memory, one rule for every language: a runtime that manages its own heap gets a heap cap equal to the
problem's memory limit (`{memory_mib}`), and its box gets that limit plus the runtime's fixed cost
(`memory_overhead`: VM code, metaspace, JIT, GC tables), never a share of the limit. A program that outgrows
its heap then gets the runtime's own out-of-memory error rather than the kernel's killer; that error
(one of `oom_markers` on stderr) is judged MLE too (sandbox/outcomes.py runtime_out_of_memory).
`processes` is a floor for the process limit: the threads the runtime itself starts (JIT, GC, scheduler).
"""

import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.types import MiB


@dataclass(frozen=True)
class Language:
    key: str
    name: str
    image: str
    source_name: str
    run_argv: tuple[str, ...]  # may use {memory_mib} and {entry}
    compile_argv: tuple[str, ...] | None = None  # may use {entry}, {entry_dir}, {sources} and {main}
    extensions: tuple[str, ...] = ()  # file name suffixes, for problem packages; the first is the usual one
    artifacts: tuple[str, ...] = ()  # what the compile leaves for the runs
    keep_source: bool = False  # the runs need the source itself (interpreted languages)
    memory_overhead: int = 0  # bytes the runtime needs beyond the problem's limit (see the module doc)
    oom_markers: tuple[bytes, ...] = ()  # stderr text of the runtime's own out-of-memory error
    processes: int = 0  # at least this many processes plus threads, for the runtime's own threads
    version_argv: tuple[str, ...] = ()  # run in the image at build time; its first line is the version
    entry: Callable[[bytes], tuple[str, str]] | None = None  # source -> (file name, main class)
    self_test: str = ""  # prints "ok 42" when given "42"

    @property
    def folder(self) -> str:
        """images/<folder> holds the Dockerfile of this language's image."""
        return self.image.split("/", 1)[1].split(":", 1)[0]

    def source_for(self, source: bytes) -> tuple[str, str]:
        """(file name, main class) for this source."""
        return self.entry(source) if self.entry else (self.source_name, "")

    def compile_command(self, *, entry: str, names: tuple[str, ...] = (), main: str = "") -> tuple[str, ...]:
        """The compile argv for a program of the files `names` whose entry file is `entry` (see the
        module doc for the placeholders); `{sources}` is the entry and each file with our extensions."""
        sources = (entry, *(n for n in names if n != entry and n.lower().endswith(self.extensions)))
        values = {"entry": entry, "entry_dir": posixpath.dirname(entry) or ".", "main": main}
        joined = " ".join(shlex.quote(name) for name in sources)
        argv: list[str] = []
        for arg in self.compile_argv or ():
            argv.extend(sources if arg == "{sources}" else [argv_fill(arg, sources=joined, **values)])
        return tuple(argv)


def argv_fill(arg: str, **values: object) -> str:
    """`{name}` in one argv item replaced. Not str.format: argv may hold braces of its own (shell, code)."""
    for name, value in values.items():
        arg = arg.replace("{" + name + "}", str(value))
    return arg


_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_PACKAGE = re.compile(rf"^\s*package\s+({_IDENT}(?:\s*\.\s*{_IDENT})*)\s*;?", re.MULTILINE)
_CLASS = re.compile(rf"\b(?:class|interface|enum|record)\s+({_IDENT})")
_PUBLIC_CLASS = re.compile(
    rf"\bpublic\s+(?:(?:final|abstract|strictfp)\s+)*(?:class|interface|enum|record)\s+({_IDENT})"
)
_JAVA_MAIN = re.compile(r"\bstatic\s+(?:final\s+)?(?:public\s+)?void\s+main\s*\(")
_JVM_NAME = re.compile(rf"@file\s*:\s*JvmName\s*\(\s*\"({_IDENT})\"\s*\)")


def _package(text: str) -> str:
    found = _PACKAGE.search(text)
    return re.sub(r"\s+", "", found.group(1)) + "." if found else ""


def java_entry(source: bytes) -> tuple[str, str]:
    """Like Kattis: the file is named after the public class, the main class is the class that declares
    `static void main`, with its package. Falls back to Main.java / Main."""
    text = source.decode(errors="replace")
    public = _PUBLIC_CLASS.search(text)
    main = _JAVA_MAIN.search(text)
    before = _CLASS.findall(text[: main.start()]) if main else []
    name = before[-1] if before else public.group(1) if public else "Main"
    return f"{public.group(1) if public else name}.java", _package(text) + name


def kotlin_entry(source: bytes) -> tuple[str, str]:
    """Top-level functions of main.kt live in class MainKt (or the @file:JvmName), in the file's package."""
    text = source.decode(errors="replace")
    jvm_name = _JVM_NAME.search(text)
    return "main.kt", _package(text) + (jvm_name.group(1) if jvm_name else "MainKt")


def _interpreted(check: tuple[str, ...]) -> dict:
    return {"compile_argv": check, "keep_source": True}


# Mono warns on stdout that the sandbox refuses thread priorities; its log goes to stderr instead.
_MONO_LOG = "MONO_LOG_DEST=/dev/stderr"
_PY_CHECK = "import sys\nfor f in sys.argv[1:]: compile(open(f,'rb').read(),f,'exec')"
_JVM_RUN = (
    "java",
    "-Xmx{memory_mib}m",
    "-Xss64m",
    "-XX:+UseSerialGC",
    "-XX:-UsePerfData",
    "-jar",
    "main.jar",
)
_JAR = "jar --create --file main.jar --main-class {main} -C classes ."
_READ_INT = {
    "c": '#include <stdio.h>\nint main(void){int x;scanf("%d",&x);printf("ok %d\\n",x);return 0;}\n',
    "cpp": '#include <iostream>\nint main(){int x;std::cin>>x;std::cout<<"ok "<<x<<"\\n";}\n',
    "python": 'print("ok", int(input()))\n',
}

C = Language(
    key="c",
    name="C17 (gcc)",
    image="ojudge/c:1",
    source_name="main.c",
    extensions=(".c",),
    compile_argv=(
        "gcc",
        "-O2",
        "-std=gnu17",
        "-static",
        "-DONLINE_JUDGE",
        "-pipe",
        "-I{entry_dir}",
        "-o",
        "main",
        "{sources}",
        "-lm",
    ),
    artifacts=("main",),
    run_argv=("./main",),
    version_argv=("gcc", "--version"),
    self_test=_READ_INT["c"],
)
CPP = Language(
    key="cpp",
    name="C++20 (g++)",
    image="ojudge/cpp:1",
    source_name="main.cpp",
    extensions=(".cpp", ".cc", ".cxx", ".c++"),
    compile_argv=(
        "g++",
        "-O2",
        "-std=gnu++20",
        "-static",
        "-DONLINE_JUDGE",
        "-pipe",
        "-I{entry_dir}",
        "-o",
        "main",
        "{sources}",
    ),  # fmt: skip
    artifacts=("main",),
    run_argv=("./main",),
    version_argv=("g++", "--version"),
    self_test=_READ_INT["cpp"],
)
PYTHON = Language(
    key="python",
    name="Python 3 (CPython)",
    image="ojudge/python:1",
    source_name="main.py",
    extensions=(".py", ".py3"),
    **_interpreted(("python3", "-I", "-c", _PY_CHECK, "{sources}")),
    # -E -s -S: -I without -P, so that the entry file's folder is on sys.path (its own modules)
    run_argv=("python3", "-E", "-s", "-S", "{entry}"),
    oom_markers=(b"MemoryError",),
    version_argv=("python3", "--version"),
    self_test=_READ_INT["python"],
)
PYPY = Language(
    key="pypy",
    name="Python 3 (PyPy)",
    image="ojudge/pypy:1",
    source_name="main.py",
    extensions=(".py",),  # package files named .py are CPython: python comes first
    **_interpreted(("pypy3", "-c", _PY_CHECK, "{sources}")),
    run_argv=("env", "PYPY_GC_MAX={memory_mib}MB", "pypy3", "{entry}"),
    memory_overhead=64 * MiB,
    oom_markers=(b"MemoryError",),
    version_argv=(
        "pypy3",
        "-c",
        "import sys;print('PyPy %d.%d.%d' % sys.pypy_version_info[:3], sys.version.split()[0])",
    ),
    self_test=_READ_INT["python"],
)
JAVA = Language(
    key="java",
    name="Java 17",
    image="ojudge/java:1",
    source_name="Main.java",
    extensions=(".java",),
    compile_argv=(
        "sh",
        "-c",
        "javac -J-Xss16m -J-XX:+UseSerialGC -encoding UTF-8 -d classes {sources} && " + _JAR,
    ),  # fmt: skip
    artifacts=("main.jar",),
    run_argv=_JVM_RUN,
    memory_overhead=96 * MiB,
    oom_markers=(b"java.lang.OutOfMemoryError",),
    processes=32,
    version_argv=("javac", "-version"),
    entry=java_entry,
    self_test="public class Main{public static void main(String[] a){"
    'java.util.Scanner s=new java.util.Scanner(System.in);System.out.println("ok "+s.nextInt());}}\n',
)
KOTLIN = Language(
    key="kotlin",
    name="Kotlin (JVM)",
    image="ojudge/java:1",
    source_name="main.kt",
    extensions=(".kt",),
    compile_argv=(
        "kotlinc",
        "-J-Xss16m",
        "-J-XX:+UseSerialGC",
        "-include-runtime",
        "-d",
        "main.jar",
        "{sources}",
    ),
    artifacts=("main.jar",),
    run_argv=_JVM_RUN,
    memory_overhead=96 * MiB,
    oom_markers=(b"java.lang.OutOfMemoryError",),
    processes=32,
    # `kotlinc -version` says "1.3-SNAPSHOT"; the package knows the release.
    version_argv=("dpkg-query", "--show", "--showformat", "Kotlin ${Version}\\n", "kotlin"),
    entry=kotlin_entry,
    self_test='fun main() { println("ok " + readLine()!!.trim().toInt()) }\n',
)
CSHARP = Language(
    key="csharp",
    name="C# (Mono)",
    image="ojudge/csharp:1",
    source_name="main.cs",
    extensions=(".cs",),
    compile_argv=(
        "mcs",
        "-optimize+",
        "-define:ONLINE_JUDGE",
        "-r:System.Numerics.dll",
        "-out:main.exe",
        "{sources}",
    ),
    artifacts=("main.exe",),
    run_argv=("env", _MONO_LOG, "MONO_GC_PARAMS=max-heap-size={memory_mib}m", "mono", "main.exe"),
    memory_overhead=64 * MiB,
    oom_markers=(b"OutOfMemoryException", b"Garbage collector could not allocate", b"Out of memory"),
    processes=32,
    version_argv=("mcs", "--version"),
    self_test="class P{static void Main(){"
    'System.Console.WriteLine("ok "+int.Parse(System.Console.ReadLine()));}}\n',
)
JAVASCRIPT = Language(
    key="javascript",
    name="JavaScript (Node.js)",
    image="ojudge/javascript:1",
    source_name="main.js",
    extensions=(".js",),
    **_interpreted(("node", "--check", "{entry}")),
    run_argv=("node", "--max-old-space-size={memory_mib}", "{entry}"),
    memory_overhead=96 * MiB,
    oom_markers=(b"JavaScript heap out of memory",),
    processes=32,
    version_argv=("node", "--version"),
    self_test="const x=parseInt(require('fs').readFileSync(0,'utf8'));console.log('ok '+x);\n",
)
GO = Language(
    key="go",
    name="Go",
    image="ojudge/go:1",
    source_name="main.go",
    extensions=(".go",),
    compile_argv=(
        "env",
        "GOCACHE=/box/.cache",
        "GOPATH=/box/.go",
        "GO111MODULE=off",
        "CGO_ENABLED=0",
        "go",
        "build",
        "-o",
        "main",
        "{sources}",
    ),  # fmt: skip
    artifacts=("main",),
    run_argv=("./main",),
    oom_markers=(b"runtime: out of memory",),
    processes=32,
    version_argv=("go", "version"),
    self_test='package main\nimport "fmt"\nfunc main(){var x int;fmt.Scan(&x);fmt.Println("ok", x)}\n',
)
RUST = Language(
    key="rust",
    name="Rust",
    image="ojudge/rust:1",
    source_name="main.rs",
    extensions=(".rs",),
    compile_argv=(
        "rustc",
        "--edition=2021",
        "-C",
        "opt-level=3",
        "--cfg",
        "ONLINE_JUDGE",
        "-o",
        "main",
        "{entry}",
    ),  # fmt: skip
    artifacts=("main",),
    run_argv=("./main",),
    oom_markers=(b"memory allocation of",),
    version_argv=("rustc", "--version"),
    self_test="fn main(){let mut s=String::new();std::io::stdin().read_line(&mut s).unwrap();"
    'println!("ok {}",s.trim().parse::<i64>().unwrap());}\n',
)
PASCAL = Language(
    key="pascal",
    name="Pascal (Free Pascal)",
    image="ojudge/pascal:1",
    source_name="main.pas",
    extensions=(".pas", ".pp"),
    compile_argv=("fpc", "-O2", "-XS", "-Sg", "-dONLINE_JUDGE", "-vew", "-omain", "{entry}"),
    artifacts=("main",),
    run_argv=("./main",),
    oom_markers=(b"Runtime error 203",),
    version_argv=("fpc", "-iV"),
    self_test="var x: longint;\nbegin\n  readln(x);\n  writeln('ok ', x);\nend.\n",
)
HASKELL = Language(
    key="haskell",
    name="Haskell (GHC)",
    image="ojudge/haskell:1",
    source_name="main.hs",
    extensions=(".hs",),
    compile_argv=("ghc", "-O2", "-rtsopts", "-outputdir", "build", "-o", "main", "{entry}"),
    artifacts=("main",),
    run_argv=("./main", "+RTS", "-M{memory_mib}m", "-RTS"),
    memory_overhead=32 * MiB,
    oom_markers=(b"Heap exhausted",),
    processes=16,
    version_argv=("ghc", "--numeric-version"),
    self_test='main :: IO ()\nmain = do\n  x <- readLn :: IO Int\n  putStrLn ("ok " ++ show x)\n',
)
OCAML = Language(
    key="ocaml",
    name="OCaml",
    image="ojudge/ocaml:1",
    source_name="main.ml",
    extensions=(".ml",),
    compile_argv=("ocamlopt", "-o", "main", "unix.cmxa", "str.cmxa", "{entry}"),
    artifacts=("main",),
    run_argv=("./main",),
    oom_markers=(b"Out_of_memory", b"out of memory"),
    version_argv=("ocamlopt", "-version"),
    self_test='let () = Scanf.scanf " %d" (fun x -> Printf.printf "ok %d\\n" x)\n',
)
RUBY = Language(
    key="ruby",
    name="Ruby",
    image="ojudge/ruby:1",
    source_name="main.rb",
    extensions=(".rb",),
    **_interpreted(("ruby", "-c", "{entry}")),
    run_argv=("ruby", "{entry}"),
    oom_markers=(b"NoMemoryError", b"failed to allocate memory"),
    version_argv=("ruby", "--version"),
    self_test='puts "ok #{gets.to_i}"\n',
)
PHP = Language(
    key="php",
    name="PHP",
    image="ojudge/php:1",
    source_name="main.php",
    extensions=(".php",),
    **_interpreted(("php", "-l", "{entry}")),
    run_argv=("php", "-d", "memory_limit={memory_mib}M", "-d", "display_errors=stderr", "{entry}"),
    memory_overhead=32 * MiB,
    oom_markers=(b"Allowed memory size of",),
    version_argv=("php", "-r", "echo 'PHP ', PHP_VERSION, PHP_EOL;"),
    self_test='<?php\n$x = (int) trim(fgets(STDIN));\necho "ok $x\\n";\n',
)

LANGUAGES: dict[str, Language] = {
    lang.key: lang
    for lang in (
        C, CPP, JAVA, KOTLIN, PYTHON, PYPY, CSHARP, JAVASCRIPT, GO, RUST, PASCAL, HASKELL, OCAML, RUBY, PHP,
    )
}  # fmt: skip


def language_get(key: str) -> Language:
    try:
        return LANGUAGES[key]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"unknown language {key!r}; known: {known}") from None


def language_of_path(path: str) -> str:
    """The language key for a file name by its extension, or "" when no language has it."""
    name = path.rsplit("/", 1)[-1].lower()
    return next(
        (lang.key for lang in LANGUAGES.values() for ext in lang.extensions if name.endswith(ext)), ""
    )
