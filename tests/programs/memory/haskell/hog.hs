main :: IO ()
main = do
  let xs = [1 ..] :: [Int]
  print (sum xs + length xs)
