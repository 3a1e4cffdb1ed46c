<?php
$line = str_repeat("flood ", 100) . "\n";
while (true) {
    echo $line;
}
