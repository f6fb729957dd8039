import type { UploadedProof } from '@taskmarket/core'
import { ApiError } from './api.ts'

/** The server refuses proofs larger than this (8 MiB). */
export const MAX_PROOF_BYTES = 8 * 1024 * 1024
export type { UploadedProof }

/**
 * Uploads a photo or signature of an assignment like `client.work.uploadProof`, but reports the bytes sent
 * (`fetch` cannot) so a phone on a slow network shows real progress. Errors are the SDK's ApiError.
 * @example await uploadProof(id, 'photo', file, (f) => setProgress(f))
 */
export function uploadProof(assignmentId: string, kind: 'photo' | 'signature', data: Blob, onProgress: (fraction: number) => void): Promise<UploadedProof> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', `/assignments/${encodeURIComponent(assignmentId)}/proofs/${kind}`)
    xhr.withCredentials = true
    xhr.setRequestHeader('content-type', 'application/octet-stream')
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onerror = () => reject(new Error('The upload failed: check your connection and try again'))
    xhr.onload = () => {
      let body: any
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = { message: xhr.responseText }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadedProof)
      else reject(new ApiError(xhr.status, body.code ?? 'HTTP', body.message ?? `the upload answered ${xhr.status}`, body.field, body.reason))
    }
    xhr.send(data)
  })
}

/**
 * A phone's camera photo can exceed the upload limit: re-encodes a JPEG or PNG larger than `maxBytes` as a
 * JPEG at most `maxSide` pixels wide or high. Anything else is returned untouched (the server judges it).
 */
export async function shrinkPhoto(file: Blob, maxBytes = MAX_PROOF_BYTES, maxSide = 2560): Promise<Blob> {
  if (file.size <= maxBytes || !/^image\/(jpeg|png)$/.test(file.type) || typeof createImageBitmap !== 'function') return file
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  const smaller = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
  return smaller ?? file
}
