/**
 * An error caused by the user's input (a file, a flag, a config field), as opposed to a bug.
 * Its message is complete and meant to be shown as is: it names the file/line/field at fault.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** `file:line: message`, the form editors and terminals turn into links. */
export function atLine(file: string, line: number, message: string): UserError {
  return new UserError(`${file}:${line}: ${message}`);
}
