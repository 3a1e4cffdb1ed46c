main :: IO ()
main = mapM_ putStrLn (repeat "flood flood flood flood")
