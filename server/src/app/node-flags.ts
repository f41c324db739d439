// The V8 flags the server runs with: `npm start` passes them (package.json), and the benchmark starts
// the server the same way. --optimize-for-size keeps the heap close to its live size: 10,000 held
// intake requests peak near 290 MB of RSS instead of 550–650 MB, for about a quarter more CPU per
// request (measured with `npm run bench`, see docs/operations.md).
export const SERVER_NODE_FLAGS: readonly string[] = ['--optimize-for-size'];
