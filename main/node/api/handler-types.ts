// The shape of the API: one handler per method of the IPC contract. A method without a handler does not
// compile (Handlers is a mapped type over IPC_METHODS). handlers.ts assembles them; the files in handlers/
// each provide a part, and import these types from here, not from handlers.ts (no import cycle).
import type { IpcMethod } from '../../../shared/ipc-channels'
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract'

export type Handler<M extends IpcMethod> = (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>>
export type Handlers = { [M in IpcMethod]: Handler<M> }
