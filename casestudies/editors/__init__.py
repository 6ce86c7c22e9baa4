"""The editors' area: the portal's own pages for signed-in editors (council officers, regional
leads and site administrators), in the public site's design. The Django admin stays for
curation and site administration."""
