/** A rectangle in CSS pixels (on screen) or canvas pixels (in the recording). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the stage (the area holding the tiles on screen) lands in the recording: scaled
 * to fit the canvas whole, centred, the rest left black. Returns the scale and offset
 * that map a point on screen to the canvas.
 */
export function fitStage(
  stage: Rect,
  canvas: { width: number; height: number },
): { scale: number; dx: number; dy: number } {
  if (stage.width <= 0 || stage.height <= 0) {
    return { scale: 1, dx: 0, dy: 0 };
  }
  const scale = Math.min(canvas.width / stage.width, canvas.height / stage.height);
  return {
    scale,
    dx: (canvas.width - stage.width * scale) / 2,
    dy: (canvas.height - stage.height * scale) / 2,
  };
}

/** A tile's on-screen rectangle in canvas pixels. */
export function tileOnCanvas(
  tile: Rect,
  stage: Rect,
  fit: { scale: number; dx: number; dy: number },
): Rect {
  return {
    x: fit.dx + (tile.x - stage.x) * fit.scale,
    y: fit.dy + (tile.y - stage.y) * fit.scale,
    width: tile.width * fit.scale,
    height: tile.height * fit.scale,
  };
}

/**
 * The part of a video frame to draw so it fills `target` like CSS `object-fit: cover`
 * (what the tiles do on screen): the frame's centre, cropped to the target's shape.
 */
export function coverCrop(
  frame: { width: number; height: number },
  target: { width: number; height: number },
): Rect {
  if (frame.width <= 0 || frame.height <= 0 || target.width <= 0 || target.height <= 0) {
    return { x: 0, y: 0, width: Math.max(frame.width, 0), height: Math.max(frame.height, 0) };
  }
  const frameRatio = frame.width / frame.height;
  const targetRatio = target.width / target.height;
  if (frameRatio > targetRatio) {
    const width = frame.height * targetRatio;
    return { x: (frame.width - width) / 2, y: 0, width, height: frame.height };
  }
  const height = frame.width / targetRatio;
  return { x: 0, y: (frame.height - height) / 2, width: frame.width, height };
}
