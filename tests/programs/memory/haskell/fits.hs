import qualified Data.ByteString as B

main :: IO ()
main = do
  let b = B.replicate (48 * 1024 * 1024) 1
  putStrLn ("ok " ++ show (B.length b `div` (1024 * 1024)))
