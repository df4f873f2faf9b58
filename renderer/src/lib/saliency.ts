/**
 * A saliency map as a picture: ∂(class score)/∂pixel for every value of a [C×H×W] input, reduced
 * to one H×W plane by the largest |gradient| over the channels (Simonyan et al. 2013): bright
 * pixels are the ones whose change would move the class's score the most.
 */
export function saliencyPlane(grad: ArrayLike<number>, C: number, H: number, W: number): Float32Array {
  const plane = new Float32Array(H * W);
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < H * W; p++) plane[p] = Math.max(plane[p], Math.abs(grad[c * H * W + p]));
  }
  return plane;
}
