/** Waiting for ICE gathering to complete, so a description carries every candidate (nothing trickles later). */

/**
 * Resolves once `pc` has gathered every candidate, or after `timeoutMs` with what it has then (a network
 * interface that never answers should not hold the blob back forever). Resolves at once when already complete.
 */
export function gatheringComplete(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') {
        done();
      }
    };
    // The end-of-candidates event (null candidate) comes with the state change; some browsers only send one.
    const onCandidate = (event: RTCPeerConnectionIceEvent): void => {
      if (event.candidate === null) {
        done();
      }
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
    pc.addEventListener('icecandidate', onCandidate);
  });
}

/** How many candidates `sdp` carries. */
export function candidateCount(sdp: string): number {
  return sdp.split(/\r?\n/).filter((line) => line.startsWith('a=candidate:')).length;
}
