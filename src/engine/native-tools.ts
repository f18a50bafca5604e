// Tools whose migration directories cutover's own runner applies, rather than running the tool:
// Supabase CLI directories (supabase/migrations/<timestamp>_<name>.sql).
export const NATIVE_TOOLS = ['supabase'] as const;
