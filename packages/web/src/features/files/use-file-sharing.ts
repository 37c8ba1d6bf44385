import { useEffect, useReducer, useState } from 'react';
import { FileSharing, type Room, type Transfer } from '@parley/client';

export interface FileSharingState {
  files: FileSharing | null;
  transfers: readonly Transfer[];
  /** Offers waiting for the user's answer (for a badge while the panel is closed). */
  pendingOffers: number;
}

/** Peer-to-peer file sharing for the room; `maxBytes` comes from the server's limits. */
export function useFileSharing(room: Room | null, maxBytes: number | undefined): FileSharingState {
  const [files, setFiles] = useState<FileSharing | null>(null);
  // Transfers are live SDK objects updated in place; re-render on every change.
  const [, refresh] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (!room) {
      return;
    }
    const sharing = new FileSharing(room);
    setFiles(sharing);
    const off = sharing.on('transfer', refresh);
    return () => {
      off();
      sharing.close();
      setFiles(null);
    };
  }, [room]);

  useEffect(() => {
    if (files && maxBytes !== undefined) {
      files.maxBytes = maxBytes;
    }
  }, [files, maxBytes]);

  const transfers = files?.list ?? [];
  return {
    files,
    transfers,
    pendingOffers: transfers.filter((t) => t.direction === 'in' && t.state === 'offered').length,
  };
}
