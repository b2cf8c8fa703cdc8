#include "config.h"

#include <stdio.h>

#include "glyphs.h"
#include "podscope/ui.h"
#include "ui_int.h"

/* --record: the dashboard tells the command's recorder (ui.h's
 * ui_record_hooks) about its store, context and informers; the status bar
 * announces the recording. */

void ui_rec_start(struct ui *ui)
{
	if (ui->record && ui->record->start && ui->store)
		ui->record->start(ui->record->ud, ui->loop, ui->store, ui->context);
}

void ui_rec_informers(struct ui *ui)
{
	if (ui->record && ui->record->informers)
		ui->record->informers(ui->record->ud, ui->inf);
}

void ui_rec_stop(struct ui *ui)
{
	if (ui->record && ui->record->stop)
		ui->record->stop(ui->record->ud);
	ui->record = NULL;
}

int ui_rec_label(struct ui *ui, char *buf, size_t n, bool *ok)
{
	*ok = true;
	if (!n)
		return 0;
	buf[0] = '\0';
	if (!ui->record || !ui->record->label)
		return 0;
	char what[200];
	*ok = ui->record->label(ui->record->ud, what, sizeof(what));
	snprintf(buf, n, "%s REC %s  ", glyph(GLYPH_READY), what);
	return draw_width(buf);
}
