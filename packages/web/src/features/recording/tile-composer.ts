import { coverCrop, fitStage, tileOnCanvas, type Rect } from './composer-layout';

/** The recording's picture size and frame rate. */
export const RECORDING_WIDTH = 1280;
export const RECORDING_HEIGHT = 720;
export const RECORDING_FPS = 20;

const BACKGROUND = '#0b0d12';

/**
 * Draws the call as the user sees it onto a canvas: each visible tile of `grid` (its
 * <video>, or its initials when there is no picture) at its on-screen position, scaled to
 * the canvas, with the person's name and raised hand. Reads the DOM on every frame, so a
 * tile that appears, moves or goes away is in the next frame without any bookkeeping.
 */
export class TileComposer {
  readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly grid: () => HTMLElement | null) {
    this.canvas.width = RECORDING_WIDTH;
    this.canvas.height = RECORDING_HEIGHT;
    this.ctx = this.canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
  }

  draw(): void {
    const ctx = this.ctx;
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const grid = this.grid();
    if (!grid) {
      return;
    }
    const stage = plain(grid.getBoundingClientRect());
    const fit = fitStage(stage, this.canvas);
    for (const tile of grid.querySelectorAll<HTMLElement>('[data-testid="tile"]')) {
      const box = plain(tile.getBoundingClientRect());
      // Scrolled out of the grid's view: not visible, so not recorded.
      if (box.y + box.height <= stage.y || box.y >= stage.y + stage.height) {
        continue;
      }
      this.drawTile(tile, tileOnCanvas(box, stage, fit), fit.scale);
    }
  }

  private drawTile(tile: HTMLElement, r: Rect, scale: number): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.width, r.height);
    ctx.clip();
    ctx.fillStyle = '#1a1e27';
    ctx.fillRect(r.x, r.y, r.width, r.height);
    const video = tile.querySelector('video');
    if (video && video.readyState >= 2 && video.videoWidth > 0) {
      const src = coverCrop({ width: video.videoWidth, height: video.videoHeight }, r);
      ctx.drawImage(video, src.x, src.y, src.width, src.height, r.x, r.y, r.width, r.height);
    } else {
      this.drawAvatar(tile, r);
    }
    if (tile.dataset.speaking === 'true' && tile.classList.contains('tile--speaking')) {
      ctx.strokeStyle = '#4f8cff';
      ctx.lineWidth = Math.max(3, 4 * scale);
      ctx.strokeRect(r.x + 2, r.y + 2, r.width - 4, r.height - 4);
    }
    this.drawName(tile, r);
    ctx.restore();
  }

  private drawAvatar(tile: HTMLElement, r: Rect): void {
    const avatar = tile.querySelector<HTMLElement>('.tile__avatar');
    if (!avatar) {
      return;
    }
    const ctx = this.ctx;
    const radius = Math.min(r.width, r.height) * 0.18;
    ctx.fillStyle = getComputedStyle(avatar).backgroundColor || '#334';
    ctx.beginPath();
    ctx.arc(r.x + r.width / 2, r.y + r.height / 2, radius, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.font = `600 ${Math.round(radius * 0.8)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(avatar.textContent ?? '', r.x + r.width / 2, r.y + r.height / 2);
  }

  private drawName(tile: HTMLElement, r: Rect): void {
    const ctx = this.ctx;
    const hand = tile.dataset.hand === 'true' ? '✋ ' : '';
    const text = hand + (tile.getAttribute('aria-label') ?? '');
    const size = Math.max(12, Math.min(18, r.height / 14));
    ctx.font = `500 ${size}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const pad = size * 0.5;
    const width = Math.min(ctx.measureText(text).width + pad * 2, r.width - pad * 2);
    const h = size * 1.7;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(r.x + pad, r.y + r.height - h - pad, width, h);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, r.x + pad * 2, r.y + r.height - pad - h / 2, width - pad * 2);
  }
}

function plain(d: DOMRect): Rect {
  return { x: d.x, y: d.y, width: d.width, height: d.height };
}
