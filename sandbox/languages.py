"""One small spec per language. Adding a language: a spec here plus images/<key>/Dockerfile."""

from dataclasses import dataclass

from sandbox.types import MiB


@dataclass(frozen=True)
class Language:
    key: str
    name: str
    image: str
    source_name: str
    run_argv: tuple[str, ...]  # may use {memory_mib}
    compile_argv: tuple[str, ...] | None = None
    artifacts: tuple[str, ...] = ()  # what the compile leaves for the runs
    keep_source: bool = False  # the runs need the source itself (interpreted languages)
    memory_overhead: int = 0  # bytes the runtime needs beyond the problem's limit
    self_test: str = ""  # prints "ok 42" when given "42"


C = Language(
    key="c",
    name="C (gcc, C17)",
    image="ojudge/c:1",
    source_name="main.c",
    compile_argv=("gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"),
    artifacts=("main",),
    run_argv=("./main",),
    self_test='#include <stdio.h>\nint main(void){int x;scanf("%d",&x);printf("ok %d\\n",x);return 0;}\n',
)
CPP = Language(
    key="cpp",
    name="C++17 (g++)",
    image="ojudge/cpp:1",
    source_name="main.cpp",
    compile_argv=("g++", "-O2", "-std=gnu++17", "-pipe", "-o", "main", "main.cpp"),
    artifacts=("main",),
    run_argv=("./main",),
    self_test='#include <iostream>\nint main(){int x;std::cin>>x;std::cout<<"ok "<<x<<"\\n";}\n',
)
PYTHON = Language(
    key="python",
    name="Python 3",
    image="ojudge/python:1",
    source_name="main.py",
    compile_argv=("python3", "-I", "-c", "import sys;compile(open('main.py','rb').read(),'main.py','exec')"),
    keep_source=True,
    run_argv=("python3", "-I", "-S", "main.py"),
    self_test='print("ok", int(input()))\n',
)
JAVA = Language(
    key="java",
    name="Java 17",
    image="ojudge/java:1",
    source_name="Main.java",
    compile_argv=(
        "javac",
        "-J-Xss16m",
        "-J-XX:+UseSerialGC",
        "-encoding",
        "UTF-8",
        "-d",
        "classes",
        "Main.java",
    ),
    artifacts=("classes",),
    run_argv=(
        "java",
        "-Xmx{memory_mib}m",
        "-Xss64m",
        "-XX:+UseSerialGC",
        "-XX:-UsePerfData",
        "-cp",
        "classes",
        "Main",
    ),
    memory_overhead=96 * MiB,
    self_test="public class Main{public static void main(String[] a){"
    'java.util.Scanner s=new java.util.Scanner(System.in);System.out.println("ok "+s.nextInt());}}\n',
)

LANGUAGES: dict[str, Language] = {lang.key: lang for lang in (C, CPP, PYTHON, JAVA)}


def language_get(key: str) -> Language:
    try:
        return LANGUAGES[key]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"unknown language {key!r}; known: {known}") from None
