import type { PeerLink } from './peer-link.js';
import {
  DEFAULT_UPLINK_BUDGET,
  planShareCaps,
  planVideoCaps,
  type ScreenCaps,
  type UplinkBudgetOptions,
  type VideoCaps,
} from '../../bandwidth/uplink-plan.js';

/**
 * The mesh's uplink budget: every participant gets a copy of our video, so the plan
 * divides the budget by the number of links and sets each video sender's encoding with
 * RTCRtpSender.setParameters (no renegotiation). The mesh calls `apply()` whenever the
 * set of links changes or one connects (a sender has no encodings before that).
 */
export class MeshUplink {
  private options: UplinkBudgetOptions;
  private running: Promise<void> = Promise.resolve();
  private _caps: VideoCaps | null = null;
  private _screenCaps: ScreenCaps | null = null;
  private sharing = false;

  constructor(
    private readonly links: () => PeerLink[],
    options: Partial<UplinkBudgetOptions> = {},
  ) {
    this.options = { ...DEFAULT_UPLINK_BUDGET, ...options };
  }

  /** The caps applied last (per peer), or null before the first apply. */
  get caps(): VideoCaps | null {
    return this._caps;
  }

  /** The caps of the screen share's copies, or null while nothing is shared. */
  get screenCaps(): ScreenCaps | null {
    return this._screenCaps;
  }

  /** A screen share started or stopped: the next apply() splits the budget accordingly. */
  setSharing(sharing: boolean): void {
    this.sharing = sharing;
  }

  get budgetBps(): number {
    return this.options.budgetBps;
  }

  /** Change the budget (e.g. a "data saver" toggle) and re-apply. */
  setBudget(budgetBps: number): Promise<void> {
    this.options = { ...this.options, budgetBps };
    return this.apply();
  }

  /** Re-plan for the current peers and set every video sender's parameters. Serialized. */
  apply(): Promise<void> {
    this.running = this.running.then(() => this.applyNow()).catch(() => undefined);
    return this.running;
  }

  private async applyNow(): Promise<void> {
    const links = this.links().filter((l) => l.connectionState !== 'closed');
    if (this.sharing) {
      const { camera, screen } = planShareCaps(links.length, this.options);
      this._caps = camera;
      this._screenCaps = screen;
      await Promise.all(
        links.flatMap((l) => [
          applyCaps(l.sender('video'), camera),
          applyScreenCaps(l.sender('screen'), screen),
        ]),
      );
      return;
    }
    const caps = planVideoCaps(links.length, this.options);
    this._caps = caps;
    this._screenCaps = null;
    await Promise.all(links.map((l) => applyCaps(l.sender('video'), caps)));
  }
}

/** Set caps on one sender; a sender that is not negotiated yet (no encodings) is skipped. */
export async function applyCaps(
  sender: RTCRtpSender | undefined,
  caps: VideoCaps,
): Promise<boolean> {
  if (!sender) {
    return false;
  }
  const params = sender.getParameters();
  const encoding = params.encodings?.[0];
  if (!encoding) {
    return false;
  }
  if (
    encoding.maxBitrate === caps.maxBitrate &&
    encoding.scaleResolutionDownBy === caps.scaleResolutionDownBy &&
    encoding.maxFramerate === caps.maxFramerate
  ) {
    return true;
  }
  encoding.maxBitrate = caps.maxBitrate;
  encoding.scaleResolutionDownBy = caps.scaleResolutionDownBy;
  encoding.maxFramerate = caps.maxFramerate;
  try {
    await sender.setParameters(params);
    return true;
  } catch {
    // The link closed or renegotiated meanwhile; the next apply() catches up.
    return false;
  }
}

/** Set the screen's bitrate and frame rate; its resolution is never scaled (text). */
export async function applyScreenCaps(
  sender: RTCRtpSender | undefined,
  caps: ScreenCaps,
): Promise<boolean> {
  const params = sender?.getParameters();
  const encoding = params?.encodings?.[0];
  if (!sender || !params || !encoding) {
    return false;
  }
  encoding.maxBitrate = caps.maxBitrate;
  encoding.maxFramerate = caps.maxFramerate;
  encoding.scaleResolutionDownBy = 1;
  try {
    await sender.setParameters(params);
    return true;
  } catch {
    return false;
  }
}
