/**
 * Animated GIFs from plot frames (lib/plot.ts's renderPlotPixels), encoded
 * by gifenc. One palette for the whole animation, quantized from the first
 * and last frames (a plot has few colours: 63 are plenty); every frame after
 * the first stores only the pixels that changed, the rest transparent over
 * the frame before, which keeps an animation of a moving curve small.
 */
import { GIFEncoder, nearestColorIndex, quantize } from 'gifenc';
import { type PlotPixels } from './plot';

const COLOURS = 63;
/** The palette slot after the plot's colours: "unchanged since the last frame". */
const UNCHANGED = COLOURS;

export interface AnimationTiming {
  /** How long each frame shows, in ms. */
  frameMs: number;
  /** How long the last frame shows before the loop starts over. */
  lastFrameMs: number;
}

export function encodeGif(frames: PlotPixels[], timing: AnimationTiming): Buffer {
  const first = frames[0];
  const last = frames.at(-1);
  if (!first || !last) throw new Error('encodeGif: no frames');
  const { width, height } = first;
  for (const frame of frames) {
    if (frame.width !== width || frame.height !== height) throw new Error(`encodeGif: frames of ${frame.width}x${frame.height} and ${width}x${height} px`);
  }
  const sample = new Uint8Array(first.rgba.length + last.rgba.length);
  sample.set(first.rgba);
  sample.set(last.rgba, first.rgba.length);
  const palette = quantize(sample, COLOURS);
  while (palette.length < COLOURS) palette.push([255, 255, 255]);
  palette.push([255, 0, 255]);
  // A plot has few distinct colours: look each up once.
  const known = new Map<number, number>();
  const indexOf = (rgba: Uint8Array | Uint8ClampedArray, p: number): number => {
    const key = (rgba[p * 4] as number) * 65536 + (rgba[p * 4 + 1] as number) * 256 + (rgba[p * 4 + 2] as number);
    let index = known.get(key);
    if (index === undefined) {
      index = nearestColorIndex(palette.slice(0, COLOURS), [rgba[p * 4] as number, rgba[p * 4 + 1] as number, rgba[p * 4 + 2] as number]);
      known.set(key, index);
    }
    return index;
  };
  const pixels = width * height;
  const gif = GIFEncoder();
  frames.forEach((frame, i) => {
    const delay = i === frames.length - 1 ? timing.lastFrameMs : timing.frameMs;
    const index = new Uint8Array(pixels);
    const before = frames[i - 1];
    if (!before) {
      for (let p = 0; p < pixels; p += 1) index[p] = indexOf(frame.rgba, p);
      gif.writeFrame(index, width, height, { palette, delay, repeat: 0 });
      return;
    }
    const now32 = new Uint32Array(frame.rgba.buffer, frame.rgba.byteOffset, pixels);
    const before32 = new Uint32Array(before.rgba.buffer, before.rgba.byteOffset, pixels);
    for (let p = 0; p < pixels; p += 1) index[p] = now32[p] === before32[p] ? UNCHANGED : indexOf(frame.rgba, p);
    // dispose 1: leave this frame in place; the next one draws only what changed over it.
    gif.writeFrame(index, width, height, { delay, transparent: true, transparentIndex: UNCHANGED, dispose: 1 });
  });
  gif.finish();
  return Buffer.from(gif.bytes());
}
