package main

import "fmt"

func main() {
	b := make([]byte, 48<<20)
	for i := range b {
		b[i] = 1
	}
	fmt.Println("ok", len(b)>>20)
}
