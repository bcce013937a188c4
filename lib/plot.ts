/**
 * Plots as PNG buffers: Chart.js draws axes, ticks, legend and title on
 * node-canvas. Fixed size, white background, fixed colours, the DejaVu Sans
 * font shipped by the dejavu-fonts-ttf package and no animation, so that the
 * same numbers always give the same pixels.
 */
import path from 'node:path';
import { type CanvasRenderingContext2D, createCanvas, registerFont } from 'canvas';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration } from 'chart.js';

export const PLOT_WIDTH = 800;
export const PLOT_HEIGHT = 500;
export const FONT_FAMILY = 'DejaVu Sans';

/** Colour-blind-safe Okabe-Ito colours, one per role. */
export const COLOURS = {
  data: '#000000',
  truth: '#0072B2',
  model: '#D55E00',
  second: '#009E73',
  third: '#CC79A7',
  shade: 'rgba(230, 159, 0, 0.18)',
} as const;

export interface Series {
  label: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** 'points' draws markers only; 'line' joins the points in order. */
  style: 'points' | 'line';
  colour: string;
  pointRadius?: number;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xRange?: [number, number];
  yRange?: [number, number];
  /** A shaded band of x values, e.g. the training range. */
  shadeX?: { from: number; to: number; label: string };
  width?: number;
  height?: number;
}

const fontFile = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
let fontRegistered = false;

function ensureFont(): void {
  if (fontRegistered) return;
  // Must happen before the first canvas is created.
  registerFont(fontFile, { family: FONT_FAMILY });
  fontRegistered = true;
}

const renderers = new Map<string, ChartJSNodeCanvas>();

function renderer(width: number, height: number): ChartJSNodeCanvas {
  ensureFont();
  const key = `${width}x${height}`;
  let found = renderers.get(key);
  if (!found) {
    found = new ChartJSNodeCanvas({
      width,
      height,
      // No backgroundColour here: chartjs-node-canvas registers it as a global
      // Chart.js plugin sized for the last renderer made, which left plots of
      // another size partly transparent; whiteBackground below fits each chart.
      chartCallback: (chartJs) => {
        chartJs.defaults.font.family = FONT_FAMILY;
        chartJs.defaults.font.size = 13;
        chartJs.defaults.color = '#222222';
        chartJs.defaults.animation = false;
        chartJs.defaults.devicePixelRatio = 1;
        chartJs.defaults.responsive = false;
      },
    });
    renderers.set(key, found);
  }
  return found;
}

/** White behind the whole chart, whatever its size (drawn under everything else). */
const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart: { ctx: CanvasRenderingContext2D; width: number; height: number }) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** A Chart.js plugin that shades a band of x values behind the data. */
function shadePlugin(shade: NonNullable<PlotSpec['shadeX']>) {
  return {
    id: 'shadeX',
    beforeDatasetsDraw(chart: { ctx: CanvasRenderingContext2D; chartArea: { top: number; bottom: number }; scales: Record<string, { getPixelForValue(v: number): number }> }) {
      const x = chart.scales.x;
      if (!x) return;
      const left = x.getPixelForValue(shade.from);
      const right = x.getPixelForValue(shade.to);
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.fillStyle = COLOURS.shade;
      ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      ctx.restore();
    },
  };
}

export function chartConfiguration(spec: PlotSpec): ChartConfiguration<'scatter'> {
  const datasets = spec.series.map((s) => ({
    label: s.label,
    data: Array.from(s.xs, (x, i) => ({ x, y: s.ys[i] as number })),
    showLine: s.style === 'line',
    borderColor: s.colour,
    backgroundColor: s.colour,
    borderWidth: s.style === 'line' ? 2.5 : 1,
    pointRadius: s.style === 'line' ? 0 : (s.pointRadius ?? 3),
    tension: 0,
  }));
  if (spec.shadeX) {
    // An empty dataset gives the shaded band its legend entry.
    datasets.push({
      label: spec.shadeX.label, data: [], showLine: false, borderColor: COLOURS.shade,
      backgroundColor: COLOURS.shade, borderWidth: 0, pointRadius: 0, tension: 0,
    });
  }
  const axis = (label: string, range?: [number, number]) => ({
    type: 'linear' as const,
    title: { display: true, text: label },
    ...(range ? { min: range[0], max: range[1] } : {}),
    grid: { color: '#e5e5e5' },
  });
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false,
      plugins: {
        title: { display: true, text: spec.title, font: { size: 16 } },
        legend: { position: 'top', labels: { usePointStyle: false, boxWidth: 18 } },
      },
      scales: { x: axis(spec.xLabel, spec.xRange), y: axis(spec.yLabel, spec.yRange) },
    },
    plugins: [whiteBackground as never, ...(spec.shadeX ? [shadePlugin(spec.shadeX) as never] : [])],
  };
}

export function renderPlot(spec: PlotSpec): Buffer {
  const width = spec.width ?? PLOT_WIDTH;
  const height = spec.height ?? PLOT_HEIGHT;
  return renderer(width, height).renderToBufferSync(chartConfiguration(spec) as ChartConfiguration, 'image/png');
}

/** The drawn chart of `spec`, with its canvas and scales: chartjs-node-canvas' own step before it encodes. */
function chartOf(spec: PlotSpec): ChartHandle {
  const drawer = renderer(spec.width ?? PLOT_WIDTH, spec.height ?? PLOT_HEIGHT) as unknown as { renderChart(configuration: unknown): ChartHandle };
  return drawer.renderChart(chartConfiguration(spec));
}

/** Several plots side by side in one PNG (the seed's plt.subplot(1, n, i)). */
export async function renderPanels(specs: PlotSpec[], panelWidth = PLOT_WIDTH / 1.6): Promise<Buffer> {
  const height = PLOT_HEIGHT;
  const canvas = createCanvas(panelWidth * specs.length, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // Each panel's chart drawn straight onto the whole, not encoded as a PNG and decoded again (same pixels, 50 ms less per panel).
  specs.forEach((spec, i) => {
    const chart = chartOf({ ...spec, width: panelWidth, height });
    if (!chart.canvas) throw new Error('renderPanels: the chart has no canvas');
    ctx.drawImage(chart.canvas as unknown as Parameters<typeof ctx.drawImage>[0], i * panelWidth, 0);
    chart.destroy();
  });
  return canvas.toBuffer('image/png');
}

/** A plot's pixels, RGBA row by row, as animation frames are encoded. */
export interface PlotPixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** A line that moves from frame to frame: its label and colour are fixed, its ys change. */
export interface MovingLine {
  label: string;
  colour: string;
}

export interface FramePlot {
  /** One frame: `ys[i]` is moving line i's values at the spec's `grid` xs; `caption` goes top right. */
  frame(ys: ArrayLike<number>[], caption: string): PlotPixels;
}

interface ChartHandle {
  canvas: { getContext(kind: '2d'): CanvasRenderingContext2D } | null;
  chartArea: { left: number; right: number; top: number; bottom: number };
  scales: Record<string, { getPixelForValue(v: number): number }>;
  destroy(): void;
}

/**
 * Frames of one plot whose lines move (a network's curve over the epochs).
 * Chart.js draws the plot once, axes, legend and fixed series as renderPlot
 * does, with the moving lines in the legend; each frame then draws only the
 * moving lines over a copy of it, with the chart's own axis scales. A frame
 * costs a few milliseconds instead of a whole chart.
 */
export function plotFrames(spec: PlotSpec, grid: ArrayLike<number>, moving: MovingLine[]): FramePlot {
  const width = spec.width ?? PLOT_WIDTH;
  const height = spec.height ?? PLOT_HEIGHT;
  const chart = chartOf({
    ...spec,
    series: [...spec.series, ...moving.map((m) => ({ label: m.label, xs: [], ys: [], style: 'line' as const, colour: m.colour }))],
  });
  const area = { ...chart.chartArea };
  const x = chart.scales.x;
  const y = chart.scales.y;
  if (!x || !y || !chart.canvas) throw new Error('plotFrames: the chart has no x and y scales');
  const toPixelX = Array.from(grid, (v) => x.getPixelForValue(v));
  const toPixelY = y.getPixelForValue.bind(y);
  const background = chart.canvas.getContext('2d').getImageData(0, 0, width, height);
  chart.destroy();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  return {
    frame(ys, caption) {
      ctx.putImageData(background, 0, 0);
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.lineWidth = 2.5;
      ctx.lineJoin = 'round';
      ys.forEach((line, i) => {
        ctx.strokeStyle = moving[i]?.colour ?? COLOURS.model;
        ctx.beginPath();
        let drawing = false;
        for (let p = 0; p < toPixelX.length; p += 1) {
          const value = line[p] as number;
          if (!Number.isFinite(value)) {
            drawing = false;
            continue;
          }
          const py = toPixelY(value);
          if (drawing) ctx.lineTo(toPixelX[p] as number, py);
          else ctx.moveTo(toPixelX[p] as number, py);
          drawing = true;
        }
        ctx.stroke();
      });
      ctx.restore();
      ctx.font = `13px "${FONT_FAMILY}"`;
      ctx.fillStyle = '#222222';
      ctx.textAlign = 'right';
      ctx.fillText(caption, area.right - 8, area.top + 18);
      return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
    },
  };
}
