/**
 * A parameterised SQL fragment. Values are never concatenated into the text: each `?` in `text` is bound to
 * the value at the same position and sent to the server as a bound parameter (knex turns `?` into `$n`).
 * Build fragments with the `sql` tag or `Sql.join`, never with string interpolation of user input.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: unknown[] = [],
  ) {}

  static raw(text: string): Sql {
    return new Sql(text, []);
  }

  static join(parts: Sql[], separator: string): Sql {
    const texts: string[] = [];
    const values: unknown[] = [];
    for (const p of parts) {
      texts.push(p.text);
      values.push(...p.values);
    }
    return new Sql(texts.join(separator), values);
  }

  /** Wraps in parentheses. */
  group(): Sql {
    return new Sql(`(${this.text})`, this.values);
  }
}

/** Tagged template: interpolated `Sql` fragments are inlined, every other value becomes a bound parameter. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  let text = strings[0];
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Sql) {
      text += arg.text;
      values.push(...arg.values);
    } else {
      text += '?';
      values.push(arg);
    }
    text += strings[i + 1];
  });
  return new Sql(text, values);
}
