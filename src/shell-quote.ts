// Quotes one argument for a POSIX shell, leaving plain words as they are (readable commands in
// reports, and `su -c` command lines).
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
