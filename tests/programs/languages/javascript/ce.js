function broken( {
}
