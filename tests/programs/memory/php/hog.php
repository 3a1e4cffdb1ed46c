<?php
$chunks = [];
while (true) {
    $chunks[] = str_repeat("x", 1 << 20);
}
