// The year chooser of the pages that show one year at a time (data quality, possible duplicates):
// a select and a button that puts the chosen year in the page's address (?ar=Y), so the year
// survives a reload and a bookmark.
import { useState, type FormEvent } from 'react';
import { Button, Field, Label, Select } from '@digdir/designsystemet-react';
import { navigate } from './router.tsx';

/** `path`: the page's own address; give it `key={year}` so the choice follows the address. */
export function YearForm({ id, label, submit, year, years, path }: { id: string; label: string; submit: string; year: number; years: number[]; path: string }) {
  const [draft, setDraft] = useState(String(year));
  const go = (e: FormEvent) => {
    e.preventDefault();
    navigate(`${path}?ar=${encodeURIComponent(draft)}`);
  };
  return (
    <form className="inline-form" onSubmit={go}>
      <Field>
        <Label htmlFor={id}>{label}</Label>
        <Select id={id} value={draft} onChange={(e) => setDraft(e.target.value)}>
          {years.map((y) => (
            <Select.Option key={y} value={String(y)}>
              {y}
            </Select.Option>
          ))}
        </Select>
      </Field>
      <Button type="submit" variant="secondary">
        {submit}
      </Button>
    </form>
  );
}
