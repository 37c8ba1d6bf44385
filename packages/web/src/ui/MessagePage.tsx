import type { ReactNode } from 'react';
import { navigate } from '../app/router';
import { Brand } from './Brand';
import { LanguageSwitcher } from './LanguageSwitcher';

/** A full-page message with a way forward (errors, "you left the room"). */
export function MessagePage({
  title,
  children,
  actions,
  testId,
}: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  testId?: string;
}) {
  return (
    <div className="page-center">
      <Brand onClick={() => navigate('/')} />
      <section className="card" role="alert" data-testid={testId}>
        <h1 className="card__title">{title}</h1>
        <div className="card__text">{children}</div>
        <div className="card__actions">{actions}</div>
      </section>
      <LanguageSwitcher />
    </div>
  );
}
