import { type Static, Type } from 'typebox'
import { Sha256 } from './common.ts'

/** A stored blob: its address (sha256 of its bytes), size and the content type it was uploaded with. */
export const BlobInfo = Type.Object({ hash: Sha256, size: Type.Integer({ minimum: 0 }), content_type: Type.String() })
export type BlobInfo = Static<typeof BlobInfo>
