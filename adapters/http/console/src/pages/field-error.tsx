/** The server's validation message for one field, shown under it; nothing when the field is fine. */
export function FieldError({ issues, path }: { issues: Record<string, string>; path: string }) {
  const message = issues[path];
  return message ? <small className="error" data-error-for={path}>{message}</small> : null;
}
