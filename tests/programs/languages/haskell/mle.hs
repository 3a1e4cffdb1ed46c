main :: IO ()
main = do
  let xs = [1 :: Integer ..]
  print (sum xs + fromIntegral (length xs))
