import type { ServerMessage } from '@rendezvous/protocol';

/**
 * A server message already serialized, for messages relayed as they are to one or many sockets: the text is made
 * once (a relay to a room of a hundred costs one JSON.stringify). `message()` gives the object for a detached
 * recipient's queue.
 */
export class SerializedMessage<M extends ServerMessage = ServerMessage> {
  constructor(
    readonly text: string,
    private readonly build: () => M,
  ) {}

  message(): M {
    return this.build();
  }

  /** `message` with its text. */
  static of<M extends ServerMessage>(message: M): SerializedMessage<M> {
    return new SerializedMessage(JSON.stringify(message), () => message);
  }
}
