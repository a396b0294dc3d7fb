/* dl.c — see core/dl.h. */
#include "core/dl.h"

#include <dlfcn.h>

int
pk_dl_load(void **lib, const char *soname, const struct pk_dl_sym *syms, size_t nsyms,
           const char *kind, const char *why, struct pk_err *err)
{
	void *handle;

	if (*lib != NULL)
		return 0;
	handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL)
		return pk_err_set(err, PK_ECOMM, kind, "%s: %s", why, dlerror());
	for (size_t i = 0; i < nsyms; i++) {
		*syms[i].slot = dlsym(handle, syms[i].name);
		if (*syms[i].slot == NULL) {
			dlclose(handle);
			return pk_err_set(err, PK_ECOMM, kind, "%s has no %s", soname, syms[i].name);
		}
	}
	*lib = handle;
	return 0;
}
