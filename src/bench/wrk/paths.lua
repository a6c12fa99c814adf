-- wrk script: cycles through the request paths in the file named after --, one a line, each thread
-- starting at its own place in the list.
local paths = {}
local next_path = 0

function init(args)
	for line in io.lines(args[1]) do
		paths[#paths + 1] = line
	end
	next_path = math.random(#paths)
end

function request()
	next_path = next_path % #paths + 1
	return wrk.format("GET", paths[next_path])
end
