/**
 * Everyone's audio mixed into one track for the recording (Web Audio). The set of tracks
 * follows the call: `setTracks` connects newcomers and disconnects those that left, so a
 * recording goes on through people joining and leaving. The output track exists (silent)
 * even when nobody has a microphone, so every recording has its audio track.
 */
export class AudioMixer {
  private readonly context = new AudioContext();
  private readonly destination = this.context.createMediaStreamDestination();
  private readonly sources = new Map<string, MediaStreamAudioSourceNode>();

  get track(): MediaStreamTrack {
    return this.destination.stream.getAudioTracks()[0] as MediaStreamTrack;
  }

  /** Mix exactly these tracks from now on (ended ones are left out). */
  setTracks(tracks: readonly MediaStreamTrack[]): void {
    // The click that started the recording lets the context run; a later call is harmless.
    void this.context.resume().catch(() => undefined);
    const live = new Map(
      tracks.filter((t) => t.readyState === 'live').map((t) => [t.id, t] as const),
    );
    for (const [id, source] of this.sources) {
      if (!live.has(id)) {
        source.disconnect();
        this.sources.delete(id);
      }
    }
    for (const [id, track] of live) {
      if (!this.sources.has(id)) {
        const source = this.context.createMediaStreamSource(new MediaStream([track]));
        source.connect(this.destination);
        this.sources.set(id, source);
      }
    }
  }

  /** How many tracks are in the mix (for tests and the status line). */
  get size(): number {
    return this.sources.size;
  }

  close(): void {
    for (const source of this.sources.values()) {
      source.disconnect();
    }
    this.sources.clear();
    this.track.stop();
    void this.context.close().catch(() => undefined);
  }
}
