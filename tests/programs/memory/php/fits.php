<?php
$block = str_repeat("x", 48 << 20);
echo "ok ", strlen($block) >> 20, "\n";
