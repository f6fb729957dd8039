/** Base of the path tracer's errors: a stable `code`, a message a person can act on, the cause. */
export class PathtracerError extends Error {
  override name = 'PathtracerError'
  readonly code: string

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** A scene that cannot be rendered: `field` is its path (`objects[2].material.roughness`), `reason` why. */
export class SceneError extends PathtracerError {
  override name = 'SceneError'
  readonly field: string
  readonly reason: string

  constructor(field: string, reason: string, options?: { cause?: unknown }) {
    super('invalid_scene', `scene: ${field || '(root)'} ${reason}`, options)
    this.field = field
    this.reason = reason
  }
}

/** A tile outside the image, or tiles that do not cover it exactly once. */
export class TileError extends PathtracerError {
  override name = 'TileError'
  readonly field: string
  readonly reason: string

  constructor(field: string, reason: string) {
    super('invalid_tile', `tile: ${field} ${reason}`)
    this.field = field
    this.reason = reason
  }
}
