// The Supabase CLI's splitter, ported: its own test cases (supabase/cli pkg/parser/state_test.go,
// checkSplit: the input is the cases joined, the output must be exactly the cases), and SplitAndTrim.
import { splitLikeSupabase, supabaseStatements } from '../../src/migrate/supabase-statements.js';

const CASES: Record<string, string[]> = {
  'line comment after separator': ['END;', '-- comment'],
  'line comment before separator': ['SELECT --; 1'],
  'line comment not started': ['- ;', 'END'],
  'line comment between lines': ['-- /* \n;', ' */ END'],
  'block comment contains separator': ['SELECT /* ; */ 1;'],
  'nested block': ['SELECT /*; /*;*/ ;*/ 1'],
  'block not started': ['/ * ;', ' */ END'],
  'separator without spaces': [';', 'END;', ';'],
  'separator between spaces': ['BEGIN   ;', '  END'],
  'backslash escaped separator': ['\\;;', '\\;'],
  'named dollar tag': ['$tag$ any ; string$tag$'],
  'anonymous dollar tag': ['$$"Dane\'s horse"$$'],
  'dollar not started': ['SELECT "$";', ' $$'],
  'single quote escapes separator': ["SELECT ';' 1"],
  'doubled single quote': ["SELECT ';'';' 1"],
  'literal backslash': ["SELECT '\\';", " 1'"],
  'double quote escapes separator': ['CREATE POLICY "cats;dogs" on cats_dogs;', ' END'],
  'double quote with single quote': ['CREATE POLICY "cat\'s and dog\'s" on cats_dogs;', ' END'],
  'doubled double quote': ['CREATE POLICY "pet""name" on pets;', ' END'],
  'parentheses': ['CREATE RULE notify_me AS ON UPDATE TO mytable DO (NOTIFY mytable; SELECT "1");', 'SELECT 1'],
  'parentheses ignore literals': ["CREATE RULE notify_me AS ON UPDATE TO mytable DO (-- )\nSELECT ')';\n-- )\n)\n"],
  'begin atomic inline body': ["CREATE FUNCTION add(a integer, b integer) RETURNS integer\nLANGUAGE SQL\nIMMUTABLE STRICT PARALLEL SAFE\nRETURNS NULL ON NULL INPUT\nBEGIN ATOMIC\n\tSELECT 'add';\n\tSELECT a + b;\nEND;"],
  'begin atomic case insensitive': ["begin atomic; select 'end'; end"],
  'begin atomic ignores literals': ['CREATE FUNCTION test() BEGIN\nATOMIC-- END;\n-- END;\nEND\n;'],
  'atomic in table name': ['create table public.atomic_test (id int);', '\nselect 1;'],
  'atomic in function name': [
    "CREATE OR REPLACE FUNCTION public.my_function_atomic(p_id uuid)\nRETURNS void\nLANGUAGE plpgsql\nAS $$\nBEGIN\n  RAISE NOTICE 'hello';\nEND;\n$$;",
    '\nGRANT EXECUTE ON FUNCTION public.my_function_atomic(uuid) TO authenticated;',
  ],
  'atomic in column name': ['select is_atomic from flags;', '\nselect 1;'],
  'digit before atomic': ['select col1atomic from t;', '\nselect 1;'],
};

test.each(Object.entries(CASES))('Split: %s', (_name, statements) => {
  expect(splitLikeSupabase(statements.join('')).sort()).toEqual([...statements].sort());
});

test('SplitAndTrim: trailing ; and white space go, empty statements too, comments stay', () => {
  const file = '-- profiles\ncreate table profiles (id uuid primary key);\n\ncreate function touch() returns trigger as $$\nbegin new.updated = now(); return new; end;\n$$ language plpgsql;\n-- end\n';
  expect(supabaseStatements(file)).toEqual([
    '-- profiles\ncreate table profiles (id uuid primary key)',
    'create function touch() returns trigger as $$\nbegin new.updated = now(); return new; end;\n$$ language plpgsql',
    '-- end',
  ]);
  expect(supabaseStatements(';;\n  ;')).toEqual([]);
  expect(supabaseStatements('\uFEFFselect 1;')).toEqual(['\uFEFFselect 1']);
});
